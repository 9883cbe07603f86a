namespace Provisioning.Daemon.BackOffice;

/// <summary>The "BackOffice" configuration section. PLACEHOLDER: the back-office helper completes it.</summary>
internal sealed class BackOfficeOptions
{
    public const string SectionName = "BackOffice";

    /// <summary>Base URL of the back office; none means ERROR_UNAVAILABLE.</summary>
    public Uri? Url { get; set; }
}
