import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CreatedAt, NoUnitOfWork, uuidPipe, pageRequestOf } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { Roles } from 'src/access/access.decorators';
import { CreateUserDto, UpdateUserDto, UserQueryDto } from './dto/user.requests';
import { toUserResponse, UserPageResponse, UserResponse } from './dto/user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/admin/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @CreatedAt('/api/v1/admin/users/{id}')
  @NoUnitOfWork() // the service hashes the password first, then runs its own unit of work
  @Audited('user.create')
  @ApiCreatedResponse({ type: UserResponse })
  @ApiProblems(401, 403, 409, 422)
  async create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.users.createStaff(body));
  }

  @Get()
  @ApiOkResponse({ type: UserPageResponse })
  @ApiProblems(401, 403, 422)
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
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(401, 403, 404, 422)
  async get(@Param('id', uuidPipe) id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.findById(id));
  }

  @Patch(':id')
  @NoUnitOfWork() // the service hashes a new password first, then runs its own unit of work
  @Audited('user.update')
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(401, 403, 404, 422)
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
