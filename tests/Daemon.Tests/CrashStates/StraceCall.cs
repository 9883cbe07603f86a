using System.Globalization;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// One completed system call of an <c>strace -f -y -xx</c> trace: name, argument texts as strace printed them,
/// and the result. Strings are printed as <c>"\xNN..."</c> and paths of file descriptors as <c>fd&lt;\xNN...&gt;</c>.
/// </summary>
internal sealed record StraceCall(int Line, string Name, IReadOnlyList<string> Arguments, string Result)
{
    /// <summary>False when the call failed (-1 ERRNO) or its result is unknown ("?": the process died in it).</summary>
    public bool Succeeded => !Result.StartsWith('-') && !Result.StartsWith('?');

    /// <summary>The numeric result (a count, an offset or a new fd).</summary>
    public long ReturnValue => ParseInteger(Result.Split('<', ' ')[0]);

    /// <summary>The path strace printed beside the result (a new fd's file), if any.</summary>
    public string? ReturnPath => AnnotatedPath(Result);

    /// <summary>The fd number of argument <paramref name="index"/> (-100 for AT_FDCWD).</summary>
    public int Fd(int index)
    {
        string text = Arguments[index];
        return text.StartsWith("AT_FDCWD", StringComparison.Ordinal) ? AtFdCwd : (int)ParseInteger(text.Split('<')[0]);
    }

    /// <summary>The path strace printed beside fd argument <paramref name="index"/>, if any.</summary>
    public string? FdPath(int index) => AnnotatedPath(Arguments[index]);

    public byte[] Bytes(int index) => DecodeString(Arguments[index], Line);

    public string Text(int index) => System.Text.Encoding.UTF8.GetString(Bytes(index));

    public long Integer(int index) => ParseInteger(Arguments[index]);

    public IReadOnlyList<string> Flags(int index) => Arguments[index].Split('|', StringSplitOptions.TrimEntries);

    /// <summary>The bytes of a writev/pwritev iovec array: every iov_base in order.</summary>
    public byte[] IovecBytes(int index)
    {
        var bytes = new List<byte>();
        string text = Arguments[index];
        int at = 0;
        while ((at = text.IndexOf("iov_base=", at, StringComparison.Ordinal)) >= 0)
        {
            at += "iov_base=".Length;
            int end = text.IndexOf('"', at + 1);
            string token = text[at..(end + 1)];
            bool truncated = text.AsSpan(end + 1).StartsWith("...", StringComparison.Ordinal);
            bytes.AddRange(DecodeString(truncated ? token + "..." : token, Line));
            at = end + 1;
        }

        return [.. bytes];
    }

    public const int AtFdCwd = -100;

    public static long ParseInteger(string text)
    {
        text = text.Trim();
        return text.StartsWith("0x", StringComparison.Ordinal) ? long.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : text.Length > 1 && text[0] == '0' ? Convert.ToInt64(text, 8)
            : long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>Decodes <c>"\xNN\xNN..."</c>; a string strace cut short (<c>"..."...</c>) means -s was too small.</summary>
    public static byte[] DecodeString(string token, int line)
    {
        token = token.Trim();
        if (token.Length < 2 || token[0] != '"')
        {
            throw new InvalidDataException($"trace line {line}: expected a string, got {Shorten(token)}");
        }

        int close = token.LastIndexOf('"');
        if (token.AsSpan(close + 1).StartsWith("...", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"trace line {line}: strace cut a string short; record with a larger -s");
        }

        return DecodeEscapes(token.AsSpan(1, close - 1), line);
    }

    private static string? AnnotatedPath(string text)
    {
        int open = text.IndexOf('<', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        int close = text.IndexOf('>', open);
        ReadOnlySpan<char> inner = text.AsSpan(open + 1, close - open - 1);
        return inner.StartsWith(@"\x", StringComparison.Ordinal)
            ? System.Text.Encoding.UTF8.GetString(DecodeEscapes(inner, 0))
            : inner.ToString();
    }

    private static byte[] DecodeEscapes(ReadOnlySpan<char> text, int line)
    {
        if (text.Length % 4 != 0)
        {
            throw new InvalidDataException($"trace line {line}: strings must be printed as \\xNN (strace -xx)");
        }

        byte[] bytes = new byte[text.Length / 4];
        for (int i = 0; i < bytes.Length; i++)
        {
            ReadOnlySpan<char> escape = text.Slice(i * 4, 4);
            if (escape[0] != '\\' || escape[1] != 'x')
            {
                throw new InvalidDataException($"trace line {line}: strings must be printed as \\xNN (strace -xx)");
            }

            bytes[i] = byte.Parse(escape[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return bytes;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
