/** One real stack (`npm start`) for every browser test file; its URL and demo shop are provided to them. */
import type { TestProject } from 'vitest/node';
import { startStack, type DemoShop } from '../support/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    shop: DemoShop;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide('baseUrl', stack.baseUrl);
  project.provide('shop', stack.shop);
  return () => stack.stop();
}
