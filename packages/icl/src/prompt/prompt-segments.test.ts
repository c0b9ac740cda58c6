import { describe, expect, it } from 'vitest';
import { demonstrationSegments, formatPrompt } from './prompt-segments.js';

describe('formatPrompt(demonstrations, words, tagged)', () => {
  const demonstrations = [
    { words: ['Dogs', 'bark', '.'], tags: ['NOUN', 'VERB', 'PUNCT'] },
    { words: ['I', 'run'], tags: ['PRON', 'VERB'] },
  ];

  it('writes demonstrations as Context/Tagged lines and stops after the next word of the test', () => {
    expect(formatPrompt(demonstrations, ['Cats', 'purr'])).toBe(
      'Context: Dogs bark .\nTagged: Dogs_NOUN bark_VERB ._PUNCT\n' +
        'Context: I run\nTagged: I_PRON run_VERB\n' +
        'Context: Cats purr\nTagged: Cats_',
    );
  });

  it('appends the tags given so far, each right after its word', () => {
    expect(formatPrompt([], ['Cats', 'purr', '!'], ['NOUN', 'VERB'])).toBe(
      'Context: Cats purr !\nTagged: Cats_NOUN purr_VERB !_',
    );
    expect(formatPrompt([], ['Cats'], ['NOUN'])).toBe('Context: Cats\nTagged: Cats_NOUN');
  });
});

describe('demonstrationSegments(words, forms)', () => {
  it('cuts a demonstration into the segments that are tokenised one by one', () => {
    expect(demonstrationSegments(['Dogs', 'bark'], ['noun', 'verb'])).toEqual([
      'Context: Dogs bark\n',
      'Tagged:',
      ' Dogs_',
      'noun',
      ' bark_',
      'verb',
      '\n',
    ]);
  });
});
