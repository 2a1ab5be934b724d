import { FIRST_IMPORT_ROWS, describeMatrix, itRefusesARecordKmsContradicts } from './matrix.js';

describeMatrix(FIRST_IMPORT_ROWS, itRefusesARecordKmsContradicts);
