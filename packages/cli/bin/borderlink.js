#!/usr/bin/env node
// The command lives in dist/ (built by `npm run build`); this file exists before the build so npm links it on install.
import '../dist/cli.js';
