// PLACEHOLDER: replaced by the real command.
import type { Command } from 'commander';
export function registerImportCommand(_program: Command): void {}
