#!/usr/bin/env node
// A tiny shim: the CLI lives in dist/ (built by `npm run build`, which `npm ci` runs).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
