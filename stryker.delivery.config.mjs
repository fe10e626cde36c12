// `npm run mutation:delivery`: packages/core/src/delivery only, against the delivery and export tests.
import { mutationConfig } from './stryker.config.mjs';

export default mutationConfig(['delivery']);
