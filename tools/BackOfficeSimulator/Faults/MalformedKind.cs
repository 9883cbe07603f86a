using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

/// <summary>The ways a 200 body can fail to be a valid Provisioning (docs/backoffice-protocol.md, "A Provisioning").</summary>
internal enum MalformedKind
{
    /// <summary>Not JSON at all: a Provisioning cut off mid-way, sent with a matching Content-Length.</summary>
    [JsonStringEnumMemberName("invalidJson")]
    InvalidJson,

    /// <summary>Valid JSON that is not an object.</summary>
    [JsonStringEnumMemberName("notAnObject")]
    NotAnObject,

    /// <summary>A Provisioning for another provision ID.</summary>
    [JsonStringEnumMemberName("wrongId")]
    WrongId,

    /// <summary>"tokens": [].</summary>
    [JsonStringEnumMemberName("emptyTokens")]
    EmptyTokens,

    /// <summary>No "tokens" member.</summary>
    [JsonStringEnumMemberName("missingTokens")]
    MissingTokens,

    /// <summary>A key that is not base64.</summary>
    [JsonStringEnumMemberName("badKey")]
    BadKey,

    /// <summary>A label with characters outside [A-Za-z0-9._-].</summary>
    [JsonStringEnumMemberName("badLabel")]
    BadLabel,

    /// <summary>The same label twice.</summary>
    [JsonStringEnumMemberName("duplicateLabel")]
    DuplicateLabel,

    /// <summary>A label with 17 keys.</summary>
    [JsonStringEnumMemberName("tooManyKeys")]
    TooManyKeys,

    /// <summary>expires before issued.</summary>
    [JsonStringEnumMemberName("expiresBeforeIssued")]
    ExpiresBeforeIssued,
}
