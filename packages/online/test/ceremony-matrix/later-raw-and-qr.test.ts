import { LATER_AND_RAW_AND_QR_ROWS, describeMatrix } from './matrix.js';

describeMatrix(LATER_AND_RAW_AND_QR_ROWS);
