#!/usr/bin/env node
// The installed command; the CLI itself is built into dist/cli.js.
import process from 'node:process';
import { runCli } from '../dist/cli.js';

runCli(process.argv.slice(2));
