/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("showroom_appointment_booking", {
    steps: () => [
        {
            content: "Choose the consultation",
            trigger: "a.o_showroom_appointment_type:contains(Tour consultation)",
            run: "click",
        },
        {
            content: "Take the first free time",
            trigger: ".o_showroom_day a.o_showroom_slot:contains(10:00)",
            run: "click",
        },
        {
            content: "The chosen time is on the showroom's clock",
            trigger: ".o_showroom_chosen_time:contains(10:00)",
        },
        {
            content: "Name",
            trigger: "input[name=name]",
            run: "edit Tess Tour",
        },
        {
            content: "E-mail",
            trigger: "input[name=email]",
            run: "edit tess.tour@example.com",
        },
        {
            content: "Phone",
            trigger: "input[name=phone]",
            run: "edit +33 6 55 55 55 55",
        },
        {
            content: "Confirm",
            trigger: "button.o_showroom_confirm",
            run: "click",
        },
        {
            content: "Booked, with the time",
            trigger: "h1:contains(Your appointment is booked)",
        },
        {
            content: "Choose another time",
            trigger: "a.o_showroom_reschedule",
            run: "click",
        },
        {
            content: "Take 11:00 instead",
            trigger: ".o_showroom_day button.o_showroom_slot:contains(11:00)",
            run: "click",
        },
        {
            content: "Moved",
            trigger: ".o_showroom_when:contains(11:00)",
        },
        {
            content: "Cancel it",
            trigger: "button.o_showroom_cancel",
            run: "click",
        },
        {
            content: "Cancelled",
            trigger: "h1:contains(Appointment cancelled)",
        },
    ],
});
