#!/usr/bin/env node
// The command-line entry point. The project runs its TypeScript through tsx, so
// there is no build step between a fresh clone and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
