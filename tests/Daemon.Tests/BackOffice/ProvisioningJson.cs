namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>Provisioning bodies for tests: a valid one, and ways to break it.</summary>
internal static class ProvisioningJson
{
    public const string DeviceId = "WPE00000uCfrLF45";

    public const string Issued = "2026-11-25T10:00:00Z";

    public static string Valid(string id = DeviceId) => $$"""
        {
          "id": "{{id}}",
          "issued": "{{Issued}}",
          "expires": "2027-11-25T10:00:00Z",
          "tokens": [
            { "label": "netflix", "keys": ["AQID"] },
            { "label": "playready", "keys": ["BAUG", "BwgJ"] }
          ]
        }
        """;

    /// <summary>A valid Provisioning of <paramref name="labels"/> labels with <paramref name="keysEach"/> one-byte keys each.</summary>
    public static string WithLabels(int labels, int keysEach = 1)
    {
        string keys = string.Join(",", Enumerable.Repeat("\"QQ==\"", keysEach));
        string tokens = string.Join(",", Enumerable.Range(0, labels).Select(i => $$"""{"label":"l{{i}}","keys":[{{keys}}]}"""));
        return $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","tokens":[{{tokens}}]}""";
    }

    /// <summary>200 bodies that are not a valid Provisioning for <see cref="DeviceId"/>, by name.</summary>
    public static string Malformed(string kind) => kind switch
    {
        "not-json" => "<html>maintenance</html>",
        "truncated" => Valid()[..40],
        "null" => "null",
        "wrong-id" => Valid("WPE11111uCfrLF45"),
        "no-issued" => $$"""{"id":"{{DeviceId}}","tokens":[{"label":"a","keys":["AQID"]}]}""",
        "empty-tokens" => $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","tokens":[]}""",
        "bad-base64" => $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","tokens":[{"label":"a","keys":["not base64!"]}]}""",
        "bad-label" => $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","tokens":[{"label":"a b","keys":["AQID"]}]}""",
        "duplicate-label" => $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","tokens":[{"label":"a","keys":["AQID"]},{"label":"a","keys":["AQID"]}]}""",
        "no-keys" => $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","tokens":[{"label":"a","keys":[]}]}""",
        "65-labels" => WithLabels(65),
        "already-expired" => $$"""{"id":"{{DeviceId}}","issued":"2020-01-01T00:00:00Z","expires":"2021-01-01T00:00:00Z","tokens":[{"label":"a","keys":["AQID"]}]}""",
        "17-keys" => WithLabels(1, keysEach: 17),
        "expired-before-issued" => $$"""{"id":"{{DeviceId}}","issued":"{{Issued}}","expires":"2020-01-01T00:00:00Z","tokens":[{"label":"a","keys":["AQID"]}]}""",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
