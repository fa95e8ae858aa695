// PLACEHOLDER: replaced by the real command.
import type { Command } from 'commander';
export function registerDemoCommand(_program: Command): void {}
