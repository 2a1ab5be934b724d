import { describeMatrix, itCoversEveryCommand } from './matrix.js';

// No row runs here: the rows' own files run them; this holds all of them to the CLIs' commands.
describeMatrix([], itCoversEveryCommand);
