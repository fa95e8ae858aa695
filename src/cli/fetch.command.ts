// PLACEHOLDER: replaced by the real command.
import type { Command } from 'commander';
export function registerFetchCommand(_program: Command): void {}
