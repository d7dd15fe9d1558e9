/** The crank command line: runs the controller and the shipped workers, manages the dev PKI and calls the platform as a client. */
package dev.crank.runtime;
