/** classify:email_intent: spam, intent, sentiment, priority and language of an email. */
package dev.crank.workers.emailclassifier;
