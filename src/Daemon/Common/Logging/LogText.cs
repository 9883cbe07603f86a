using System.Globalization;

namespace Provisioning.Daemon.Common.Logging;

/// <summary>
/// Text from outside the daemon (a back office's error message, a caller's method name), made fit for one log line
/// or status line: control characters, line and paragraph separators, invisible format characters (bidirectional
/// overrides that reorder what a reader sees, zero-width characters) and lone surrogates become a placeholder, and
/// the text is cut at a length. A forged second line or a disguised word cannot get through.
/// </summary>
internal static class LogText
{
    /// <param name="maxLength">Characters kept; a longer text is cut there, never inside a surrogate pair.</param>
    public static string Printable(ReadOnlySpan<char> text, char replacement, int maxLength)
    {
        if (text.Length > maxLength)
        {
            text = text[..(char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength)];
        }

        char[] chars = text.ToArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.GetUnicodeCategory(chars[i]) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                chars[i] = replacement;
            }
        }

        return new string(chars);
    }
}
