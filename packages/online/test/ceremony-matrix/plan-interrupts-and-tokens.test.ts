import { PLAN_INTERRUPT_AND_TOKEN_ROWS, describeMatrix } from './matrix.js';

describeMatrix(PLAN_INTERRUPT_AND_TOKEN_ROWS);
