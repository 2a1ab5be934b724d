import { describeRunbookVariant } from './runbook-variant.js';

describeRunbookVariant('qr');
