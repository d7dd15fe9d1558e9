/** The public API for writing, serving and calling Crank workers: WorkerApplication, CapabilitySchema, CrankServer, CrankClient, TlsMaterial, CrankJson. */
package dev.crank.core;
