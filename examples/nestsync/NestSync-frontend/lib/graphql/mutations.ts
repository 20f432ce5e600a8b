import { gql } from '@apollo/client';

export const UPDATE_NOTIFICATION_PREFERENCES = gql`
  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      notificationsEnabled
      notificationConsentGranted
      marketingConsentGranted
    }
  }
`;

export const LOG_DIAPER_CHANGE = gql`
  mutation LogDiaperChange($input: LogDiaperChangeInput!) {
    logDiaperChange(input: $input) {
      id
      currentDiaperSize
    }
  }
`;
