/** The ports memory needs from its host: the event log to tail and the leadership that elects one projector. */
package ai.auraison.memory.spi;
