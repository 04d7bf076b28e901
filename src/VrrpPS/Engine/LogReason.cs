namespace VrrpPS.Engine;

/// <summary>What a rate-limited instance warning is about (each reason has its own one-a-second budget).</summary>
internal enum LogReason
{
    SendError,
    AnnounceError,
    InvalidPacket,
    NotUnicastPeer,
    WrongDestination,
    AddressList,
    IntervalMismatch,
}
