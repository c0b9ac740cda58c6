import { checkPlainName, InvalidArgumentError } from '@xling/core';

/**
 * The file name that the last path segment of `url` gives, percent-decoded and checked to be one
 * plain name inside `root` (so `..%2F..%2Fx.tgz` cannot write outside it). `fallback` names a URL
 * that ends in `/`; without one such a URL is refused.
 *
 * @throws XLING_INVALID_ARGUMENT (naming `argument` of `caller`) for a string that is not an
 *   absolute URL, a malformed percent-escape (`%E0%A4%A`) or an encoded control character (`%00`).
 * @throws XLING_UNSAFE_PATH when the decoded name is not a plain name (`..`, `a%2Fb`).
 */
export function fileNameFromUrl(
  url: string,
  root: string,
  argument: string,
  caller: string,
  fallback?: string,
): string {
  const refuse = (problem: string): never => {
    throw new InvalidArgumentError(argument, caller, `${problem}, but got '${url}'.`);
  };
  let segment = '';
  try {
    segment = new URL(url).pathname.split('/').at(-1) ?? '';
  } catch {
    refuse('must be an absolute http(s) URL');
  }
  let name = '';
  try {
    name = decodeURIComponent(segment);
  } catch {
    refuse(`must be a well-formed URL (the percent-escapes of '${segment}' are not UTF-8)`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse('must not encode a control character such as %00');
  if (name === '') return fallback ?? refuse('must end in a file name');
  return checkPlainName(name, root, `the URL '${url}'`);
}
