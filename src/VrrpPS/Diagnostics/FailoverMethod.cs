namespace VrrpPS.Diagnostics;

public enum FailoverMethod { Release, Demote, LinkDown }
