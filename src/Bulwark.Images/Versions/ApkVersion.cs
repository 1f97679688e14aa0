using System.Numerics;

namespace Bulwark.Images.Versions;

/// <summary>
/// Alpine package versions, <c>digits(.digits)*[letter](_suffix[digits])*[-rN]</c>, ordered as apk-tools 2's
/// <c>version.c</c> orders them: numbers by value (a component after a dot that starts with zeros sorts by its zeros
/// first, so <c>1.01 &lt; 1.1</c>), then a letter, then suffixes
/// (<c>_alpha &lt; _beta &lt; _pre &lt; _rc &lt;</c> none <c>&lt; _cvs &lt; _svn &lt; _git &lt; _hg &lt; _p</c>), then the revision.
/// </summary>
/// <remarks>
/// <see cref="Compare"/> never throws. An invalid version (see <see cref="IsValid"/>) is compared token by token up to
/// the first token apk cannot read, as apk does, and then sorts after a valid version that ends there (so
/// <c>1.0 &lt; 1.0bc</c>, one of apk's own vectors). Numbers of any length compare by value, where apk-tools' C
/// <c>int</c> would overflow. Kept from apk-tools 2 as Alpine's tools and vectors have it: a zero component followed by a
/// suffix reads an extra empty number, so <c>1.0_alpha1</c> sorts after <c>1.0</c> (but <c>1.1_alpha1</c> before <c>1.1</c>).
/// </remarks>
public static class ApkVersion
{
    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, zero when equal, positive when newer.</summary>
    public static int Compare(string? a, string? b)
    {
        var left = new Tokenizer(a ?? string.Empty);
        var right = new Tokenizer(b ?? string.Empty);
        BigInteger valueA = 0, valueB = 0;
        while (left.Type == right.Type && left.Type is not (Token.End or Token.Invalid) && valueA == valueB)
        {
            valueA = left.Next();
            valueB = right.Next();
        }

        if (valueA != valueB)
        {
            return valueA < valueB ? -1 : 1;
        }

        if (left.Type == right.Type)
        {
            return 0;
        }

        // Equal so far: the longer version is newer, unless what it has more of is a pre-release suffix.
        if (left.Type == Token.Suffix && left.Peek() < 0)
        {
            return -1;
        }

        if (right.Type == Token.Suffix && right.Peek() < 0)
        {
            return 1;
        }

        return left.Type > right.Type ? -1 : 1;
    }

    /// <summary>Whether apk accepts <paramref name="version"/> (apk-tools' <c>apk_version_validate</c>); the empty string is not a version.</summary>
    public static bool IsValid(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return false;
        }

        var tokens = new Tokenizer(version);
        while (tokens.Type is not (Token.End or Token.Invalid))
        {
            tokens.Next();
        }

        return tokens.Type == Token.End;
    }

    /// <summary>The kinds of token, in apk-tools' order: a version may only move forward through them.</summary>
    private enum Token
    {
        Invalid = -1,
        DigitOrZero,
        Digit,
        Letter,
        Suffix,
        SuffixNumber,
        RevisionNumber,
        End,
    }

    private static readonly string[] PreReleaseSuffixes = ["alpha", "beta", "pre", "rc"];
    private static readonly string[] PostReleaseSuffixes = ["cvs", "svn", "git", "hg", "p"];

    /// <summary>apk-tools' <c>get_token</c>/<c>next_token</c>: <see cref="Type"/> is the kind of the token <see cref="Next"/> reads.</summary>
    private ref struct Tokenizer(string text)
    {
        private ReadOnlySpan<char> _rest = text;

        public Token Type { get; private set; } = text.Length == 0 ? Token.End : Token.Digit;

        /// <summary>The value of the next token without reading it.</summary>
        public readonly BigInteger Peek()
        {
            var copy = this;
            return copy.Next();
        }

        public BigInteger Next()
        {
            if (_rest.Length == 0)
            {
                Type = Token.End;
                return 0;
            }

            var length = 0;
            BigInteger value;
            var nextType = Token.Invalid;
            switch (Type)
            {
                case Token.DigitOrZero when _rest[0] == '0':
                    while (length < _rest.Length && _rest[length] == '0')
                    {
                        length++;
                    }

                    nextType = Token.Digit;
                    value = -length;
                    break;
                case Token.DigitOrZero or Token.Digit or Token.SuffixNumber or Token.RevisionNumber:
                    while (length < _rest.Length && char.IsAsciiDigit(_rest[length]))
                    {
                        length++;
                    }

                    value = length == 0 ? BigInteger.Zero : BigInteger.Parse(_rest[..length], provider: System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case Token.Letter:
                    value = (int)_rest[0];
                    length = 1;
                    break;
                case Token.Suffix:
                    if (Suffix(_rest, out length) is { } suffix)
                    {
                        value = suffix;
                        break;
                    }

                    Type = Token.Invalid;
                    return -1;
                default:
                    Type = Token.Invalid;
                    return -1;
            }

            _rest = _rest[length..];
            if (_rest.Length == 0)
            {
                Type = Token.End;
            }
            else if (nextType != Token.Invalid)
            {
                Type = nextType;
            }
            else
            {
                Advance();
            }

            return value;
        }

        /// <summary>A pre-release suffix's negative rank, a post-release suffix's rank from 0, or null.</summary>
        private static int? Suffix(ReadOnlySpan<char> text, out int length)
        {
            for (var i = 0; i < PreReleaseSuffixes.Length; i++)
            {
                if (text.StartsWith(PreReleaseSuffixes[i], StringComparison.Ordinal))
                {
                    length = PreReleaseSuffixes[i].Length;
                    return i - PreReleaseSuffixes.Length;
                }
            }

            for (var i = 0; i < PostReleaseSuffixes.Length; i++)
            {
                if (text.StartsWith(PostReleaseSuffixes[i], StringComparison.Ordinal))
                {
                    length = PostReleaseSuffixes[i].Length;
                    return i;
                }
            }

            length = 0;
            return null;
        }

        /// <summary>Decides the kind of the next token from the separator or character at hand (<c>next_token</c>).</summary>
        private void Advance()
        {
            Token next;
            if (_rest[0] == '\0')
            {
                // apk reads C strings: a NUL ends the version.
                Type = Token.End;
                return;
            }

            if ((Type is Token.Digit or Token.DigitOrZero) && char.IsAsciiLetterLower(_rest[0]))
            {
                next = Token.Letter;
            }
            else if (Type == Token.Letter && char.IsAsciiDigit(_rest[0]))
            {
                next = Token.Digit;
            }
            else if (Type == Token.Suffix && char.IsAsciiDigit(_rest[0]))
            {
                next = Token.SuffixNumber;
            }
            else
            {
                next = _rest[0] switch
                {
                    '.' => Token.DigitOrZero,
                    '_' => Token.Suffix,
                    '-' when _rest.Length > 1 && _rest[1] == 'r' => Token.RevisionNumber,
                    _ => Token.Invalid,
                };
                _rest = _rest[(next == Token.RevisionNumber ? 2 : 1)..];
            }

            if (next < Type && !((next == Token.DigitOrZero && Type == Token.Digit)
                || (next == Token.Suffix && Type == Token.SuffixNumber)
                || (next == Token.Digit && Type == Token.Letter)))
            {
                next = Token.Invalid;
            }

            Type = next;
        }
    }
}
