namespace VrrpPS.Diagnostics;

public enum FailoverScenario { MasterCrash, LinkLoss, TrackFailure, GracefulStop, MasterReturn }
