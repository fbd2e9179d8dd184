// The TypeORM CLI's entry: `npm run typeorm -- migration:show` etc. Same options as the app.
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

export default new DataSource(dataSourceOptions(loadConfig()));
