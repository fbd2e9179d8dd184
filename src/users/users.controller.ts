import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreatedAt, NoUnitOfWork, uuidPipe, pageRequestOf } from '@helpdesk/common';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { CreateUserDto, UpdateUserDto, UserQueryDto } from './dto/user.requests';
import { toUserResponse, UserPageResponse, UserResponse } from './dto/user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/v1/admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Endpoint({
    operationId: 'createUser',
    summary: 'Create a staff user or customer',
    access: access.roles('admin'),
    audit: 'user.create',
    problems: [409, 422],
  })
  @CreatedAt('/api/v1/admin/users/{id}')
  @NoUnitOfWork() // the service hashes the password first, then runs its own unit of work
  @ApiCreatedResponse({ type: UserResponse })
  async create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.users.createStaff(body));
  }

  @Get()
  @Endpoint({
    operationId: 'listUsers',
    summary: 'List and search users',
    access: access.roles('admin'),
    problems: [422],
  })
  @ApiOkResponse({ type: UserPageResponse })
  async list(@Query() query: UserQueryDto): Promise<UserPageResponse> {
    const page = await this.users.list({
      role: query.role,
      q: query.q,
      isActive: query.is_active,
      ...pageRequestOf(query),
    });
    return { ...page, items: page.items.map(toUserResponse) };
  }

  @Get(':id')
  @Endpoint({
    operationId: 'getUser',
    summary: 'One user',
    access: access.roles('admin'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: UserResponse })
  async get(@Param('id', uuidPipe) id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.findById(id));
  }

  @Patch(':id')
  @Endpoint({
    operationId: 'updateUser',
    summary: 'Edit a user (role, name, password, active)',
    access: access.roles('admin'),
    audit: 'user.update',
    problems: [404, 422],
  })
  @NoUnitOfWork() // the service hashes a new password first, then runs its own unit of work
  @ApiOkResponse({ type: UserResponse })
  async update(
    @Param('id', uuidPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponse> {
    return toUserResponse(
      await this.users.update(id, {
        name: body.name,
        role: body.role,
        isActive: body.is_active,
        password: body.password,
        organization: body.organization,
      }),
    );
  }
}
