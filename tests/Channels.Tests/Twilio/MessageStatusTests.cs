using Agents.Channels.Twilio;

namespace Agents.Channels.Tests.Twilio;

public sealed class MessageStatusTests
{
    [Theory]
    [InlineData("queued", "sending")]
    [InlineData("queued", "sent")]
    [InlineData("sending", "sent")]
    [InlineData("sent", "delivered")]
    [InlineData("delivered", "read")]
    [InlineData("sent", "read")]
    [InlineData("accepted", "queued")]
    [InlineData("scheduled", "accepted")]
    [InlineData("QUEUED", "Sent")]
    public void IsForward_LaterSuccessStatus_ReturnsTrue(string current, string next) =>
        Assert.True(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData("sent", "queued")]
    [InlineData("delivered", "sent")]
    [InlineData("read", "delivered")]
    [InlineData("queued", "accepted")]
    public void IsForward_EarlierSuccessStatus_ReturnsFalse(string current, string next) =>
        Assert.False(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData("queued")]
    [InlineData("sent")]
    [InlineData("delivered")]
    [InlineData("failed")]
    public void IsForward_SameStatusAgain_ReturnsFalse(string status) =>
        Assert.False(MessageStatus.IsForward(status, status));

    [Theory]
    [InlineData("queued", "failed")]
    [InlineData("sending", "failed")]
    [InlineData("sent", "undelivered")]
    [InlineData("scheduled", "canceled")]
    public void IsForward_FailureBeforeDelivery_ReturnsTrue(string current, string next) =>
        Assert.True(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData("delivered", "undelivered")]
    [InlineData("delivered", "failed")]
    [InlineData("read", "failed")]
    public void IsForward_FailureAfterDelivery_ReturnsFalse(string current, string next) =>
        Assert.False(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData("failed", "read")]
    [InlineData("failed", "delivered")]
    [InlineData("undelivered", "delivered")]
    [InlineData("undelivered", "failed")]
    [InlineData("failed", "undelivered")]
    [InlineData("canceled", "queued")]
    public void IsForward_AfterFailure_ReturnsFalse(string current, string next) =>
        Assert.False(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData(null, "queued")]
    [InlineData("", "delivered")]
    [InlineData("partially_delivered", "read")]
    [InlineData("something-new", "failed")]
    public void IsForward_NoOrUnknownCurrent_AcceptsKnownNext(string? current, string next) =>
        Assert.True(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData(null, "")]
    [InlineData("queued", "")]
    [InlineData("queued", "partially_delivered")]
    [InlineData(null, "receiving")]
    public void IsForward_EmptyOrUnknownNext_ReturnsFalse(string? current, string next) =>
        Assert.False(MessageStatus.IsForward(current, next));

    [Theory]
    [InlineData("failed", true)]
    [InlineData("Undelivered", true)]
    [InlineData("canceled", true)]
    [InlineData("delivered", false)]
    [InlineData(null, false)]
    public void IsFailure_Status_ReturnsWhetherTerminalFailure(string? status, bool failure) =>
        Assert.Equal(failure, MessageStatus.IsFailure(status));
}
