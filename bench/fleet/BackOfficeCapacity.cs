namespace Provisioning.Bench.Fleet;

/// <summary>What the simulated back office can take, and when it is down.</summary>
/// <param name="RequestsPerSecond">Requests served per second of the fleet clock; more are answered 429.</param>
/// <param name="RetryAfterSeconds">The Retry-After (delta-seconds) of a 429 or 503; 0 sends none.</param>
/// <param name="Outage">From the start of the run, how long the back office is down (zero: never).</param>
/// <param name="OutageRefuses">True: down means no connection; false: down means 503 with Retry-After.</param>
/// <param name="Paced">
/// True: a 429's Retry-After is not fixed but the next free slot of a queue the back office keeps (each
/// rejected request reserves 1/RequestsPerSecond of a later second), at least RetryAfterSeconds.
/// </param>
internal sealed record BackOfficeCapacity(int RequestsPerSecond, int RetryAfterSeconds, TimeSpan Outage, bool OutageRefuses, bool Paced = false);
