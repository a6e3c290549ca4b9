export { dynamoDbLineagePlugin as default } from './plugin';
