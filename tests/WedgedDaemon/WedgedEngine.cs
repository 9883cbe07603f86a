using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Wedged;

internal static class WedgedEngine
{
    /// <summary>Replaces the engine's registration with one whose clock is <paramref name="clock"/>; nothing else changes.</summary>
    public static IServiceCollection UseEngineClock(this IServiceCollection services, TimeProvider clock) =>
        services.Replace(ServiceDescriptor.Singleton(provider => EngineServiceCollectionExtensions.CreateEngine(provider, clock)));
}
