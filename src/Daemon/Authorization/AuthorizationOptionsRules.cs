using Microsoft.Extensions.Options;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The rules the annotations cannot say: labels must be labels, and the keys of the old per-API section
/// (Grpc:Authorization, before one policy served both APIs) are refused with the name of the key that replaces them.
/// </summary>
internal sealed class AuthorizationOptionsRules(IConfiguration configuration) : IValidateOptions<AuthorizationOptions>
{
    public const string LegacySection = "Grpc:Authorization";

    public ValidateOptionsResult Validate(string? name, AuthorizationOptions options)
    {
        var failures = new List<string>();
        foreach ((string label, CallerRule rule) in options.Keys)
        {
            if (label != AuthorizationOptions.AnyLabel && !ProvisioningRules.IsValidLabel(label))
            {
                failures.Add($"Keys:{label}: not a valid label (1-64 characters of [A-Za-z0-9._-], or *).");
            }

            // The generated validator does not enter dictionaries: the lists' bound is checked here.
            if (rule.Uids.Count > CallerRule.MaxIds || rule.Gids.Count > CallerRule.MaxIds)
            {
                failures.Add($"Keys:{label}: must name at most {CallerRule.MaxIds} uids and {CallerRule.MaxIds} gids.");
            }
        }

        foreach ((string key, string? value) in configuration.GetSection(LegacySection).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                failures.Add($"{key}: is no longer read as {LegacySection}:{key}; one policy now serves gRPC and JSON-RPC, so rename it to {AuthorizationOptions.SectionName}:{key}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
