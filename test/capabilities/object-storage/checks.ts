/** Imports every object-storage and identity-token check module (self-registration). */
import '../../../capabilities/object-storage/account.js';
import '../../../capabilities/object-storage/container.js';
import '../../../capabilities/object-storage/object.js';
import '../../../capabilities/object-storage/acl.js';
import '../../../capabilities/object-storage/quotas.js';
import '../../../capabilities/object-storage/slo.js';
import '../../../capabilities/object-storage/temp-url.js';
import '../../../capabilities/object-storage/expiry.js';
import '../../../capabilities/object-storage/versioning.js';
import '../../../capabilities/identity/tokens.js';
