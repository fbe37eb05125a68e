export { FOLDER_PROVIDER_ID } from './folder.js';
export { LIBATION_PROVIDER_ID } from './libation.js';
export { SIDECARS_PROVIDER_ID } from './sidecars.js';
export { TAGS_PROVIDER_ID } from './tags.js';
