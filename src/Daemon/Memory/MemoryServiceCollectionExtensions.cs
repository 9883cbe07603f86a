namespace Provisioning.Daemon.Memory;

internal static class MemoryServiceCollectionExtensions
{
    /// <summary>
    /// The idle trim (<see cref="IdleMemoryTrim"/>). It uses the engine's state to know when a run is over, so it
    /// comes after AddProvisioningEngine. The other two pieces of the upkeep are not services: the host checks
    /// <see cref="GcHeapLimit"/> once it is built, and the program installs <see cref="OutOfMemoryExit"/> first.
    /// </summary>
    public static IServiceCollection AddMemoryUpkeep(this IServiceCollection services)
    {
        services.AddHostedService<IdleMemoryTrim>();
        return services;
    }
}
