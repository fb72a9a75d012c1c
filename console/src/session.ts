/**
 * The signed-in key, kept in sessionStorage: it lives as long as the tab and is never written to
 * disk-backed storage or sent anywhere but this origin's API.
 */
const KEY = 'orderbell.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  save: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};
