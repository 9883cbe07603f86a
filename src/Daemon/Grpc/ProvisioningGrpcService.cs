using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Authorization;
using StateMessage = Provisioning.Contracts.V1.State;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Model;
using ProvisioningApi = Provisioning.Contracts.V1.Provisioning;

namespace Provisioning.Daemon.Grpc;

/// <summary>The provisioning.v1 service: a thin translation onto the engine; errors come from <see cref="GrpcErrors"/>.</summary>
internal sealed class ProvisioningGrpcService(
    ProvisioningEngine engine,
    IOptions<GrpcOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ProvisioningGrpcService> logger) : ProvisioningApi.ProvisioningBase
{
    public override async Task<ProvisionResponse> Provision(ProvisionRequest request, ServerCallContext context)
    {
        ProvisionStart start = await engine.ProvisionAsync(context.CancellationToken);
        if (!start.Accepted || start.Completion is null)
        {
            throw GrpcErrors.FromEngine(start.Error);
        }

        if (!request.Wait)
        {
            return new ProvisionResponse { Completed = false, State = StateMapper.ToMessage(engine.Current) };
        }

        // The run goes on when the caller goes away; only the wait ends. A stopping daemon ends the wait first (the
        // listeners stop before the engine, which then cancels the run).
        using var call = new CallUntilStopping(context, lifetime);
        try
        {
            EngineState end = await start.Completion.WaitAsync(call.Token);
            return new ProvisionResponse { Completed = true, State = StateMapper.ToMessage(end) };
        }
        catch (OperationCanceledException) when (call.IsStopping)
        {
            throw GrpcErrors.Stopping();
        }
    }

    public override async Task<SetIndexResponse> SetIndex(SetIndexRequest request, ServerCallContext context)
    {
        string? label = request.HasLabel ? request.Label : null;
        if (label is not null && !ProvisioningRules.IsValidLabel(label))
        {
            throw GrpcErrors.InvalidArgument("label", "label must be 1-64 characters of [A-Za-z0-9._-].");
        }

        int? index = request.HasIndex ? request.Index : null;
        if (index < 0)
        {
            throw GrpcErrors.InvalidArgument("index", "index must not be negative.");
        }

        EngineError error = await engine.SetIndexAsync(label, index, context.CancellationToken);
        return error == EngineError.None ? new SetIndexResponse() : throw GrpcErrors.FromEngine(error, label);
    }

    public override Task<GetIdResponse> GetId(GetIdRequest request, ServerCallContext context) =>
        Task.FromResult(new GetIdResponse { Id = engine.Current.Id });

    public override Task<StateMessage> GetState(GetStateRequest request, ServerCallContext context) =>
        Task.FromResult(StateMapper.ToMessage(engine.Current, asCurrent: true));

    public override async Task WatchState(WatchStateRequest request, IServerStreamWriter<StateMessage> responseStream, ServerCallContext context)
    {
        int capacity = options.Value.WatchCapacity;
        using StateSubscription subscription = engine.Subscribe(capacity);

        // A watch never ends by itself; a stopping daemon ends it.
        using var watching = new CallUntilStopping(context, lifetime);
        try
        {
            await foreach (EngineState state in subscription.Reader.ReadAllAsync(watching.Token))
            {
                await responseStream.WriteAsync(StateMapper.ToMessage(state), watching.Token);
            }
        }
        catch (OperationCanceledException) when (watching.IsStopping)
        {
            throw GrpcErrors.Stopping();
        }
        catch (Exception e) when (e is SubscriberOverflowException || e.InnerException is SubscriberOverflowException)
        {
            Caller caller = UnixSocketOnlyInterceptor.CallerOf(context);
            GrpcLog.WatcherOverflow(logger, caller.Uid ?? uint.MaxValue, caller.Pid ?? 0, capacity);
            throw GrpcErrors.WatcherOverflow(capacity);
        }
    }

    public override Task<GetKeyResponse> GetKey(GetKeyRequest request, ServerCallContext context)
    {
        if (!ProvisioningRules.IsValidLabel(request.Label))
        {
            throw GrpcErrors.InvalidArgument("label", "label must be 1-64 characters of [A-Za-z0-9._-].");
        }

        // The interceptor has authorized the caller for this label's key.
        Caller caller = UnixSocketOnlyInterceptor.CallerOf(context);
        KeyLookup lookup = engine.GetKey(request.Label);
        if (lookup.Error != EngineError.None)
        {
            throw GrpcErrors.FromEngine(lookup.Error, request.Label);
        }

        GrpcLog.KeyRead(logger, request.Label, caller.Uid ?? uint.MaxValue, caller.Pid ?? 0);
        return Task.FromResult(new GetKeyResponse
        {
            Label = lookup.Label,
            Slot = lookup.Slot,
            Key = ByteString.CopyFrom(lookup.Key.Span),
        });
    }
}
