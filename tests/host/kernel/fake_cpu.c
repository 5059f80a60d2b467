/* State behind fake/quartz/kernel/cpu.h, and a monotonic timer (quartz/hal/mono_timer.h) whose time the test sets. */
#include <quartz/kernel/cpu.h>
#include <quartz/kernel/mono.h>

#include "fake_mono.h"

uint32_t fake_basepri, fake_primask;
uint32_t fake_pended[4];
unsigned fake_lock_writes;
unsigned fake_wakes;

uint64_t fake_now;
uint64_t fake_alarm;
bool fake_alarm_armed;

uint64_t mono_timer_now(void) { return fake_now; }
uint32_t mono_timer_hz(void) { return 1000000U; }
unsigned mono_timer_prio(void) { return 5; }
void mono_timer_arm(uint64_t at) { fake_alarm = at; fake_alarm_armed = true; }
void mono_timer_disarm(void) { fake_alarm_armed = false; }

void fake_advance(uint64_t to)
{
    fake_now = to;
    if (fake_alarm_armed && fake_now >= fake_alarm) {
        mono_expire();
    }
}
