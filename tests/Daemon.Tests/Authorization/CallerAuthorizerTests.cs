using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>The authorizer's decisions and its one log line, without a daemon around it.</summary>
public sealed class CallerAuthorizerTests
{
    private static readonly Caller Other = new(CallerTransport.JsonRpcTcp, 65534, null, null);

    [Fact]
    public void Keys_LabelRuleOrStarRule_RootAlways()
    {
        var authorizer = Create(new AuthorizationOptions
        {
            Keys = { ["netflix"] = new CallerRule { Uids = [65534] }, ["*"] = new CallerRule { Gids = [7] } },
        }, out _);

        Assert.True(authorizer.Decide(Other, Operation.Key, "netflix"));
        Assert.False(authorizer.Decide(Other, Operation.Key, "playready"));
        Assert.True(authorizer.Decide(Other with { Gid = 7 }, Operation.Key, "playready"));
        Assert.True(authorizer.Decide(Other with { Uid = 0 }, Operation.Key, "anything"));
        Assert.False(authorizer.Decide(Caller.Unknown(CallerTransport.JsonRpcTcp), Operation.Key, "netflix"));
    }

    [Fact]
    public void OpenRule_NeverIdentifiesTheCaller()
    {
        CallerAuthorizer authorizer = Create(new AuthorizationOptions(), out _);
        int identified = 0;

        Assert.True(authorizer.Allows(() => { identified++; return Other; }, Operation.Read, "Provisioning.1.state"));
        Assert.Equal(0, identified);
        Assert.False(authorizer.Allows(() => { identified++; return Other; }, Operation.Provision, "Provisioning.1.provision"));
        Assert.Equal(1, identified);
    }

    [Fact]
    public void Refusal_IsOneLogLine_WithWhatIsKnown_AndTheMethodMadePrintable()
    {
        CallerAuthorizer authorizer = Create(new AuthorizationOptions(), out FakeLogCollector logs);

        Assert.False(authorizer.Allows(Other, Operation.Controller, "Controller.1.deactivate\nRefused nothing: forged"));

        FakeLogRecord record = Assert.Single(logs.GetSnapshot());
        Assert.Equal(5100, record.Id.Id);
        Assert.Equal(
            "Refused Controller.1.deactivate?Refused nothing: forged over JsonRpcTcp for uid 65534 gid unknown pid unknown: no Authorization:Controller rule allows this caller",
            record.Message);
    }

    /// <summary>A GetKey label is the caller's text too; it is judged for its form only after the policy refuses.</summary>
    [Fact]
    public void RefusedKey_ItsLabelMadePrintableAndBounded()
    {
        CallerAuthorizer authorizer = Create(new AuthorizationOptions(), out FakeLogCollector logs);
        string label = "x\ninfo: Provisioning.Daemon.Engine.ProvisioningEngine[1003]\r\u001b[31m" + new string('l', 4096);

        Assert.False(authorizer.Allows(Other, Operation.Key, "GetKey", label));

        string message = Assert.Single(logs.GetSnapshot()).Message;
        Assert.Contains("Authorization:Keys:x?info: Provisioning.Daemon.Engine.ProvisioningEngine[1003]??[31mlll", message, StringComparison.Ordinal);
        Assert.DoesNotContain(message, c => char.IsControl(c));
        Assert.True(message.Length < 1024, $"{message.Length} characters logged");
    }

    [Fact]
    public void RefusalsInALoop_AreLoggedAtMostABurstAMinute()
    {
        CallerAuthorizer authorizer = Create(new AuthorizationOptions(), out FakeLogCollector logs);

        for (int i = 0; i < 100; i++)
        {
            Assert.False(authorizer.Allows(Other, Operation.Provision, "Provisioning.1.provision"));
        }

        Assert.Equal(LogThrottle.Burst, logs.Count);
        Assert.All(logs.GetSnapshot(), record => Assert.Equal(5100, record.Id.Id));
    }

    private static CallerAuthorizer Create(AuthorizationOptions options, out FakeLogCollector logs)
    {
        var logger = new FakeLogger<CallerAuthorizer>();
        logs = logger.Collector;
        return new CallerAuthorizer(Options.Create(options), logger);
    }
}
