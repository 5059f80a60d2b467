#ifndef FAKE_MONO_H
#define FAKE_MONO_H
#include <stdbool.h>
#include <stdint.h>
extern uint64_t fake_now, fake_alarm;
extern bool fake_alarm_armed;
/* Set the time and run the timer interrupt if the alarm is due. */
void fake_advance(uint64_t to);
#endif
