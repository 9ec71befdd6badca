#!/usr/bin/env node
import { main } from './main.js';
import { exitQuietlyOnClosedPipe } from './output.js';

exitQuietlyOnClosedPipe();
process.exitCode = await main(process.argv);
