namespace Provisioning.BackOfficeSimulator;

/// <summary>Everything one running simulator holds, shared by its endpoints.</summary>
internal sealed class SimulatorState
{
    public SimulatorState(SimulatorOptions options, ILogger logger)
    {
        Options = options;
        Logger = logger;
        Devices = new DeviceRegistry(options);
        Faults = new FaultPlan();
        Log = new RequestLog(options.RequestLogCapacity);
    }

    public SimulatorOptions Options { get; }

    public TimeProvider TimeProvider => Options.TimeProvider;

    public ILogger Logger { get; }

    public DeviceRegistry Devices { get; }

    public FaultPlan Faults { get; }

    public RequestLog Log { get; }

    public OperationStore Operations { get; } = new();

    public IdempotencyStore IdempotencyKeys { get; } = new();
}
