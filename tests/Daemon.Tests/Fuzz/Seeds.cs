namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>
/// The CsCheck seeds the property and model tests start from, so that CI's runs begin at the same place; a failure
/// prints the seed of the shrunk case, which reproduces it when put here.
/// </summary>
internal static class Seeds
{
    public const string Readers = "0N0XIzNsQ0O2";

    public const string Engine = "0N0XIzNsQ0O2";
}
