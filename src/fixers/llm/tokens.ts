// Token estimates for budgeting prompts: about four characters per token, the usual rule of thumb for code and English.

/** Estimated tokens for a text (ceil(chars / 4)). */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** The character count a token budget allows. */
export const charsForTokens = (tokens: number): number => tokens * 4;
