import { describeRunbookVariant } from './runbook-variant.js';

describeRunbookVariant('flags-usb');
