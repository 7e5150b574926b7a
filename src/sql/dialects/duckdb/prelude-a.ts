export const preludeA: string[] = []; // INITIAL VERSION by the lead; part A replaces it.
