using Microsoft.Extensions.Options;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The section's rules: at most CallerRule.MaxIds uids and gids per rule, labels must be labels, and the keys of the old per-API section
/// (Grpc:Authorization, before one policy served both APIs) are refused with the name of the key that replaces them.
/// </summary>
internal sealed class AuthorizationOptionsRules(IConfiguration configuration) : IValidateOptions<AuthorizationOptions>
{
    public const string LegacySection = "Grpc:Authorization";

    public ValidateOptionsResult Validate(string? name, AuthorizationOptions options)
    {
        var failures = new List<string>();
        CheckBounds(nameof(AuthorizationOptions.Read), options.Read, failures);
        CheckBounds(nameof(AuthorizationOptions.Provision), options.Provision, failures);
        CheckBounds(nameof(AuthorizationOptions.Controller), options.Controller, failures);
        foreach ((string label, CallerRule rule) in options.Keys)
        {
            if (label != AuthorizationOptions.AnyLabel && !ProvisioningRules.IsValidLabel(label))
            {
                failures.Add($"Keys:{label}: not a valid label (1-64 characters of [A-Za-z0-9._-], or *).");
            }

            CheckBounds($"Keys:{label}", rule, failures);
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

    // Here rather than as [MaxLength] on the lists, which needs reflection the trimmed Native AOT build does not keep.
    private static void CheckBounds(string rule, CallerRule callers, List<string> failures)
    {
        if (callers.Uids.Count > CallerRule.MaxIds)
        {
            failures.Add($"{rule}:Uids: must name at most {CallerRule.MaxIds} uids.");
        }

        if (callers.Gids.Count > CallerRule.MaxIds)
        {
            failures.Add($"{rule}:Gids: must name at most {CallerRule.MaxIds} gids.");
        }
    }
}
