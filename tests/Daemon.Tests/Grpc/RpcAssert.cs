using Google.Rpc;
using Grpc.Core;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>Checks a failed call's status and its google.rpc details.</summary>
internal static class RpcAssert
{
    public static async Task<RpcException> FailsAsync(Func<Task> call, StatusCode code, string reason, string? field = null)
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        Google.Rpc.Status? status = e.GetRpcStatus();
        Assert.NotNull(status);
        ErrorInfo? info = status.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("provisioning.v1", info.Domain);
        BadRequest? badRequest = status.GetDetail<BadRequest>();
        if (field is null)
        {
            Assert.Null(badRequest);
        }
        else
        {
            Assert.NotNull(badRequest);
            Assert.Equal(field, Assert.Single(badRequest.FieldViolations).Field);
        }

        return e;
    }
}
