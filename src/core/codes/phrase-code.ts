/**
 * Phrase codes: 12-word BIP-39 English mnemonics (128 bits of entropy and a 4-bit
 * checksum), from `@scure/bip39` and its word list. Import this module lazily: the
 * library and its word list cost tens of milliseconds to load.
 */
import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { RandomSource } from '../ports.js';
import { invalidCodeFormat } from './one-time-code-format.js';

export const PHRASE_WORDS = 12;
const ENTROPY_BYTES = 16;
const WORDS = new Set(wordlist);

/** The BIP-39 English word list, in order (2048 words). */
export const PHRASE_WORDLIST: readonly string[] = wordlist;

/** A new phrase: 16 random bytes as a 12-word mnemonic. */
export function generatePhraseCode(random: RandomSource): string {
  return entropyToMnemonic(random.bytes(ENTROPY_BYTES), wordlist);
}

/**
 * `text` in the one form phrases are compared in: NFKD, lower case, words separated by
 * single spaces, no surrounding whitespace. Checks nothing.
 */
export function normalizePhraseText(text: string): string {
  const words = text.normalize('NFKD').toLowerCase().normalize('NFKD').trim();
  return words === '' ? '' : words.split(/\s+/u).join(' ');
}

/**
 * The normalized phrase in `text`.
 * @throws UsageError (`invalid_format`) unless it is 12 words of the BIP-39 English
 * list with a valid checksum; the message names the position of a bad word, not the word.
 */
export function normalizePhraseCode(text: string): string {
  const phrase = normalizePhraseText(text);
  const words = phrase === '' ? [] : phrase.split(' ');
  if (words.length !== PHRASE_WORDS) {
    throw invalidCodeFormat(`a phrase code is exactly 12 words, not ${words.length}`);
  }
  const unknown = words.findIndex((word) => !WORDS.has(word));
  if (unknown >= 0) throw invalidCodeFormat(`word ${unknown + 1} of the phrase is not in the BIP-39 English word list`);
  if (!validateMnemonic(phrase, wordlist)) {
    throw invalidCodeFormat("the phrase's BIP-39 checksum does not match: a word is mistyped or out of order");
  }
  return phrase;
}
