using System.Text.RegularExpressions;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Reads the lines of <c>strace -f -o FILE</c> into completed calls, in the order they completed: a call
/// another thread interrupted (<c>&lt;unfinished ...&gt;</c>) is joined with its <c>&lt;... name resumed&gt;</c>
/// rest. Lines that are not calls (signals, exits) are skipped.
/// </summary>
internal static partial class StraceLog
{
    private const string Unfinished = " <unfinished ...>";

    public static IEnumerable<StraceCall> ReadCalls(IEnumerable<string> lines)
    {
        var pending = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            Match match = PidPrefix().Match(raw);
            if (!match.Success)
            {
                continue;
            }

            string pid = match.Groups[1].Value;
            string rest = match.Groups[2].Value;
            Match resumed = Resumed().Match(rest);
            if (resumed.Success)
            {
                if (!pending.Remove(pid, out string? start))
                {
                    continue;
                }

                rest = start + resumed.Groups[2].Value;
            }

            if (rest.EndsWith(Unfinished, StringComparison.Ordinal))
            {
                pending[pid] = rest[..^Unfinished.Length];
                continue;
            }

            if (Parse(number, rest) is { } call)
            {
                yield return call;
            }
        }
    }

    private static StraceCall? Parse(int line, string text)
    {
        Match name = CallName().Match(text);
        if (!name.Success)
        {
            return null;
        }

        var arguments = new List<string>();
        int depth = 0;
        int start = name.Length;
        int i = start;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                i = text.IndexOf('"', i + 1);
                if (i < 0)
                {
                    throw new InvalidDataException($"trace line {line}: unterminated string");
                }
            }
            else if (c == '<' && i > 0 && char.IsAsciiLetterOrDigit(text[i - 1]))
            {
                i = text.IndexOf('>', i + 1);
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}')
            {
                depth--;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                arguments.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        if (i >= text.Length)
        {
            return null;
        }

        string last = text[start..i].Trim();
        if (last.Length > 0 || arguments.Count > 0)
        {
            arguments.Add(last);
        }

        int equals = text.IndexOf(" = ", i, StringComparison.Ordinal);
        return equals < 0 ? null : new StraceCall(line, name.Groups[1].Value, arguments, text[(equals + 3)..].Trim());
    }

    [GeneratedRegex(@"^(\d+)\s+(.*)$")]
    private static partial Regex PidPrefix();

    [GeneratedRegex(@"^<\.\.\. (\w+) resumed>(.*)$")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"^(\w+)\(")]
    private static partial Regex CallName();
}
